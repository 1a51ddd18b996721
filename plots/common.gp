# SPDX-License-Identifier: GPL-2.0-only
# What every figure shares: the look, the two terminals and the title.
# `faultbench plot` passes, with -e: plotsdir, data (the .dat file), out (the
# figure's path without extension), machine, commit, footnote (the result's
# warnings, lines split by '|', or ''), unit (what one iteration is, or ''),
# common (the scenario every row shares, '' for none), series (the series
# names, one word each), nrows (rows of data) and logy (1 for a log y axis).
#
# A data file has one row per configuration: its number, its label, its unit,
# its tick (the label as drawn: lines split by '|', each no wider than the
# row's slot), then median, min and max for each series (med(i), lo(i), hi(i)).
reset
set encoding utf8

# 1000x600 is what a mailing-list post or a paper column shows; the fonts are
# sized to stay readable there.  noenhanced: run names hold '_' and ':'.
look = "size 1000,600 noenhanced font 'DejaVu Sans,12' linewidth 1.5"
to_png = "set terminal pngcairo ".look."; set output out.'.png'"
to_svg = "set terminal svg dynamic background rgb 'white' ".look."; set output out.'.svg'"

heading(s) = s."\n".machine.' · '.commit
set title font ',13' offset 0, 1.4

# Colours that stay apart for colour-blind readers and in greyscale print.
set linetype 1 lc rgb '#0072B2' pt 7
set linetype 2 lc rgb '#E69F00' pt 5
set linetype 3 lc rgb '#009E73' pt 9
set linetype 4 lc rgb '#CC79A7' pt 11
set linetype 5 lc rgb '#56B4E9' pt 13
set linetype 6 lc rgb '#D55E00' pt 15
set linetype cycle 6

set border 3 lw 1
set tics nomirror out
set grid ytics lc rgb '#d8d8d8' lw 1 dt 1, lc rgb '#eeeeee' lw 1 dt 1
# Between the title and the plot, where no point can hide under it.
set tmargin 6
set key at screen 0.5, screen 0.86 center top horizontal samplen 2 width 1

nseries = words(series)
# Series sit side by side around their row's tick.
gap = nseries > 1 ? 0.6 / (nseries - 1) : 0
gap = gap > 0.2 ? 0.2 : gap
off(i) = (i - (nseries + 1) / 2.0) * gap
med(i) = column(3*i + 2)
lo(i) = column(3*i + 3)
hi(i) = column(3*i + 4)
# Lines split by '|' (the tick column, the footnote).
lines(s) = strstrt(s, '|') ? s[1:strstrt(s, '|') - 1]."\n".lines(s[strstrt(s, '|') + 1:]) : s
parts(s) = strstrt(s, '|') ? 1 + parts(s[strstrt(s, '|') + 1:]) : 1
tick(i) = lines(strcol(4))
# Curves (scaling, latency, pgoff, race): a line per configuration, named in
# series, the legend right of the plot, and the title centred on the figure
# rather than over the narrower plot.
nlines = words(series)
curves_key = "set rmargin at screen 0.64; set key at screen 0.66, screen 0.80 left top vertical Left reverse samplen 2 font ',9' title (strlen(common) ? common : 'configuration')"
curves_title(s) = "set label 1001 heading('".s."') at screen 0.5, screen 0.955 center font ',13'"
# The x axis' label, after the scenario that every row shares.
along(s) = strlen(common) ? common.': '.s : s
threads(s) = s.(s eq '1' ? ' thread' : ' threads')
# A calibration series, ROLE/THREADS: "kernel, 2 threads".
role_threads(s) = s[1:strstrt(s, '/') - 1].', '.threads(s[strstrt(s, '/') + 1:])
shown(v) = v >= 100 ? sprintf(' %.0f', v) : sprintf(' %.3g', v)

# gnuplot does not know how many lines tick labels read from data take: make
# room under the plot for the longest (extra lines more) and move the axis
# label below it, and the footnote below that.  The tick font is the one
# whose width plots/layout.c fits the labels to (FP_TICK_CHARS).
stats data using (parts(strcol(4))) nooutput
ticklines = STATS_max
notelines = strlen(footnote) ? parts(footnote) : 0
set xtics font ',9'
below_ticks(extra) = sprintf('set bmargin %d; set xlabel offset 0, %g', \
	ticklines + extra + 3 + notelines, -0.85 * (ticklines + extra - 1))
if (notelines) {
	set label 1000 lines(footnote) at screen 0.01, screen 0.012 + 0.028 * notelines left \
		font ',9' tc rgb '#9C2A00'
}
