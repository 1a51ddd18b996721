# SPDX-License-Identifier: GPL-2.0-only
# Races between threads: per iteration, the headline counters that each
# scenario declares (for the do_no_pfn recheck question of seed 000: how
# many PTE stores a round made, how many replaced a present PTE, and how
# often the recheck under the PTL found the PTE already filled).
load plotsdir.'/common.gp'

set title heading('Headline counters per '.unit.': median of repetitions, bars from min to max')
set ylabel 'events per '.unit
set xlabel along('configuration, two threads or more (parameters that differ from the defaults)')
set style data histograms
set style histogram errorbars gap 1.5 lw 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics scale 0
# One slot a row across the plot, as plots/layout.c fits the ticks to.
set xrange [-0.5:nrows - 0.5]
eval below_ticks(1)
set yrange [0:*]
# The small counts next to large ones would be invisible bars: print them.
# Bar i of a row sits at its offset in a cluster of nseries bars and the gap.
bar(i) = (i - (nseries + 1) / 2.0) / (nseries + 1.5)
set offsets 0, 0, graph 0.12, 0

eval to_png
plot for [i=1:nseries] data using (med(i)):(lo(i)):(hi(i)):xtic(tick(0)) \
		lt i title word(series, i), \
	for [i=1:nseries] data using ($0 + bar(i)):(hi(i)):(sprintf('%.2g', med(i))) \
		with labels rotate by 90 left offset 0,0.4 font ',9' notitle
eval to_svg
replot
unset output
