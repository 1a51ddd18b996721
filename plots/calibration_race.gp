# SPDX-License-Identifier: GPL-2.0-only
# The live kernel beside the model: for each group of runs labelled
# GROUP:ROLE, the races per iteration of each role with two threads or more
# (the headline counters that the same run never counts on one thread,
# summed: kernel.race_lost, kernel.uffd_eexist, recheck_lost,
# set_pte_replace, ...), median of repetitions, bars from min to max.
load plotsdir.'/common.gp'

set title heading('The kernel beside the model: races per '.unit.' (what one thread never counts)')
set ylabel 'races per '.unit.' (lost races, replaced stores, EEXIST)'
set xlabel 'pattern (runs labelled PATTERN:ROLE), two threads or more'
set xrange [0.5:nrows + 0.5]
set xtics scale 0
eval below_ticks(1)
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0

eval to_png
plot data using 1:(NaN):xtic(tick(0)) notitle, \
	for [i=1:nseries] data using ($1 + off(i)):(med(i)):(lo(i)):(hi(i)) \
		with yerrorbars lt i lw 1.5 ps 1.3 title role_threads(word(series, i)), \
	for [i=1:nseries] data using ($1 + off(i)):(med(i)):(sprintf(' %.3g', med(i))) \
		with labels rotate by 90 left offset 0,0.9 font ",9" notitle
eval to_svg
replot
unset output
