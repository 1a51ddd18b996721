# SPDX-License-Identifier: GPL-2.0-only
# Time per round over the floor scenario's time per round (the bare
# synchronisation the scenario cannot avoid), run interleaved with it; the
# target is at most 1.5 times the floor.
load plotsdir.'/common.gp'

target = 1.5
set title heading('Ratio to the floor: median of repetitions, bars from min to max')
set ylabel 'time / floor time (ratio, target <= 1.5)'
set xlabel along('configuration (parameters that differ from the defaults)')
set xrange [0.5:nrows + 0.5]
set xtics scale 0
eval below_ticks(1)
set yrange [0:*]

eval to_png
plot data using 1:(NaN):xtic(tick(0)) notitle, \
	target with lines dt 2 lw 2 lc rgb '#C00000' title 'target: 1.5 × floor', \
	for [i=1:nseries] data using ($1 + off(i)):(med(i)):(lo(i)):(hi(i)) \
		with yerrorbars lt i lw 1.5 ps 1.3 title threads(word(series, i)), \
	for [i=1:nseries] data using ($1 + off(i)):(med(i)):(sprintf(' %.2f', med(i))) \
		with labels left offset 0.6,0 font ',10' notitle
eval to_svg
replot
unset output
