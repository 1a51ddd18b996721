# SPDX-License-Identifier: GPL-2.0-only
# Latency percentiles (runs with --latency): p50, p90, p99, p99.9 and the
# maximum of every operation the repetitions timed, one line per
# configuration, on a log scale.  x is the percentile's "nines" (p90 at 1,
# p99 at 2, p99.9 at 3, the maximum at 4).
load plotsdir.'/common.gp'

eval curves_title('Latency of one '.unit.': percentiles of every timed '.unit.', log scale')
set ylabel 'latency of one '.unit.' (ns, log scale)'
set xlabel 'percentile (the timing overhead included)'
eval curves_key
set logscale y
set grid mytics
set autoscale yfix
set offsets 0.2, 0.2, graph 0.05, graph 0.05
eval below_ticks(0)

eval to_png
plot for [i=1:nlines] data using 1:(med(i)):xtic(4) with linespoints lt i lw 1.5 ps 1.2 \
	title word(series, i)
eval to_svg
replot
unset output
