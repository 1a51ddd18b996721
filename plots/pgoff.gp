# SPDX-License-Identifier: GPL-2.0-only
# Time per iteration against the pgoff parameter (special-mapping: a .pages
# walk grows with pgoff, a ->fault handler stays flat), median of
# repetitions, bars from min to max, one line per configuration (its
# parameters, pgoff aside).
load plotsdir.'/common.gp'

eval curves_title('Time per '.unit.' against pgoff: median of repetitions, bars min to max')
set ylabel 'time per '.unit.' (ns)'
set xlabel 'pgoff (pages into the mapping)'
eval curves_key
set yrange [0:*]
set offsets graph 0.05, graph 0.05, graph 0.05, 0
eval below_ticks(0)

eval to_png
plot for [i=1:nlines] data using 1:(med(i)):(lo(i)):(hi(i)):xtic(4) \
	with yerrorlines lt i lw 1.5 ps 1.2 title word(series, i)
eval to_svg
replot
unset output
