# SPDX-License-Identifier: GPL-2.0-only
# The live kernel beside the model: for each group of runs labelled
# GROUP:ROLE (a kernel-* scenario, its model twin, the twin calibrated), the
# median time per iteration of each role at each thread count, with bars
# from the fastest to the slowest repetition.
load plotsdir.'/common.gp'

set title heading('The kernel beside the model: time per '.unit.', median of repetitions, bars min to max')
set ylabel 'time per '.unit.' (ns)'
set xlabel 'pattern (runs labelled PATTERN:ROLE)'
set xrange [0.5:nrows + 0.5]
set xtics scale 0
eval below_ticks(1)
if (logy) {
	set logscale y
	set ylabel 'time per '.unit.' (ns, log scale)'
	set grid mytics
	set autoscale yfix
	set offsets 0, 0, graph 0.22, graph 0.08
} else {
	set yrange [0:*]
}

eval to_png
plot data using 1:(NaN):xtic(tick(0)) notitle, \
	for [i=1:nseries] data using ($1 + off(i)):(med(i)):(lo(i)):(hi(i)) \
		with yerrorbars lt i lw 1.5 ps 1.3 title role_threads(word(series, i)), \
	for [i=1:nseries] data using ($1 + off(i)):(med(i)):(shown(med(i))) \
		with labels rotate by 90 left offset 0,0.9 font ",9" notitle
eval to_svg
replot
unset output
