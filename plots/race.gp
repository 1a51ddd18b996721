# SPDX-License-Identifier: GPL-2.0-only
# Races against threads: a panel per headline counter that the scenarios
# declare (for same-addr, seed 000's do_no_pfn question: the PTE stores a
# round makes, those that replaced a present PTE, and the times the recheck
# under the PTL found the PTE filled), per iteration, median of repetitions,
# bars from min to max, one line per configuration (policy, arch, ...).
# Columns: for counter k, line i: 3*((k-1)*nlines + i) + 2 .. + 4.
load plotsdir.'/common.gp'

ncounters = words(counters)
cmed(k, i) = column(3 * ((k - 1) * nlines + i) + 2)
clo(k, i) = column(3 * ((k - 1) * nlines + i) + 3)
chi(k, i) = column(3 * ((k - 1) * nlines + i) + 4)
# The legend right of the panels; room below them for the footnote.
bottom = 0.14 + 0.03 * notelines

do for [f=1:2] {
	if (f == 1) { eval to_png } else { eval to_svg }
	set multiplot layout 1, ncounters \
		title heading('Headline counters per '.unit.' against threads: median, bars min to max') \
		margins 0.08, 0.64, bottom, 0.80 spacing 0.07, 0
	set offsets 0.15, 0.15, graph 0.1, 0
	set xlabel 'threads' offset 0, 0.3
	do for [k=1:ncounters] {
		set title word(counters, k) font ',11' offset 0, 0
		top = real(word(tops, k))
		set yrange [0:(top > 0 ? 1.1 * top : 1)]
		set ylabel (k == 1 ? 'events per '.unit : '')
		if (k == 1) {
			set key at screen 0.66, screen 0.80 left top vertical Left reverse samplen 2 \
				font ',9' title (strlen(common) ? common : 'configuration')
		} else {
			unset key
		}
		plot for [i=1:nlines] data using 1:(cmed(k, i)):(clo(k, i)):(chi(k, i)):xtic(4) \
			with yerrorlines lt i lw 1.5 ps 1 title word(series, i)
	}
	unset multiplot
}
unset output
