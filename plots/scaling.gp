# SPDX-License-Identifier: GPL-2.0-only
# Throughput against threads: operations (what one iteration is: op, round,
# fault, ...) per second, median of repetitions, bars from the slowest to the
# fastest repetition, one line per configuration (its parameters, threads
# aside).  Data rows are thread counts; columns the lines (common.gp).
load plotsdir.'/common.gp'

eval curves_title(unit.'s per second against threads: median of repetitions, bars min to max')
set ylabel unit.'s per second (median of repetitions)'
set xlabel 'threads'
eval curves_key
set yrange [0:*]
set offsets 0.15, 0.15, graph 0.05, 0
eval below_ticks(0)

eval to_png
plot for [i=1:nlines] data using 1:(med(i)):(lo(i)):(hi(i)):xtic(4) \
	with yerrorlines lt i lw 1.5 ps 1.2 title word(series, i)
eval to_svg
replot
unset output
