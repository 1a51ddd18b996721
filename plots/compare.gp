# SPDX-License-Identifier: GPL-2.0-only
# Two results compared (faultbench compare's matching and statistics): the
# relative change of each matched benchmark's time, contender over base, in
# percent, with its 95% interval, coloured by verdict.  Rows run down y, the
# first at the top; a series per verdict present.
load plotsdir.'/common.gp'

eval curves_title('Change of the time per iteration, contender / base - 1, with its 95% interval')
set xlabel 'change of the time per iteration (%, negative is faster)'
set ylabel common
set yrange [nrows + 0.5:0.5]
set ytics scale 0 font ',9'
set xtics nomirror
set grid xtics noytics
set border 1
set lmargin at screen 0.32
set bmargin 5 + notelines
set offsets graph 0.05, graph 0.05, 0, 0
set xzeroaxis lt -1 lw 1
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#444444' lw 1
# Verdicts in colours of their own: faster green, slower vermilion, no change grey.
vcolour(s) = s eq 'faster' || s eq 'lower' ? 0x009E73 : s eq 'slower' || s eq 'higher' ? 0xD55E00 : \
	s eq 'no_change' ? 0x888888 : s eq 'exact' ? 0xCC79A7 : 0x000000
set key at screen 0.5, screen 0.86 center top horizontal

eval to_png
# An interval that too few repetitions leave open (NaN) is drawn as its point alone.
fin(v, d) = v == v ? v : d
plot for [i=1:nseries] data using (med(i)):1:(fin(lo(i), med(i))):(fin(hi(i), med(i))):ytic(tick(0)) \
	with xerrorbars \
	lc rgb vcolour(word(series, i)) pt 7 ps 1.2 lw 1.5 title word(series, i)
eval to_svg
replot
unset output
