# SPDX-License-Identifier: GPL-2.0-only
# Median time per iteration (per op, per round, ...: one unit a figure) of every
# configuration, one series per thread
# count, with bars from the fastest to the slowest repetition.
load plotsdir.'/common.gp'

set title heading('Time per '.unit.': median of repetitions, bars from min to max')
set ylabel 'time per '.unit.' (ns)'
set xlabel along('configuration (parameters that differ from the defaults)')
set xrange [0.5:nrows + 0.5]
set xtics scale 0
eval below_ticks(1)
if (logy) {
	set logscale y
	set ylabel 'time per '.unit.' (ns, log scale)'
	set grid mytics
	# Whole decades would leave most of the plot empty.
	set autoscale yfix
	set offsets 0, 0, graph 0.08, graph 0.08
} else {
	set yrange [0:*]
}

eval to_png
plot data using 1:(NaN):xtic(tick(0)) notitle, \
	for [i=1:nseries] data using ($1 + off(i)):(med(i)):(lo(i)):(hi(i)) \
		with yerrorbars lt i lw 1.5 ps 1.3 title threads(word(series, i)), \
	for [i=1:nseries] data using ($1 + off(i)):(med(i)):(shown(med(i))) \
		with labels left offset 0.6,0 font ',10' notitle
eval to_svg
replot
unset output
