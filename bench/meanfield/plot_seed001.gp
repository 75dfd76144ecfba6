# The seed 001 Figure 1 (b, c): exploitability through the epochs of
# Symm-PMD and IPMD on A-RPS (left) and A-SIS (right). Lines: exact MFG
# exploitability of the output (averaged) policy; points with error bars:
# the N-player estimate (95% half-width). Usage:
#   gnuplot -e "dir='OUT'" bench/meanfield/plot_seed001.gp
# SPDX-License-Identifier: MIT
if (!exists("dir")) dir = "."
set terminal pngcairo size 1400,520 font ",11"
set output dir."/meanfield_seed001.png"
set datafile separator ","
set datafile missing ""
set key top right
set xlabel "epoch"
set ylabel "exploitability"
set logscale y
set grid
set multiplot layout 1,2
do for [g in "a-rps a-sis"] {
    set title sprintf("%s: Symm-PMD vs IPMD (lines: exact MFG; points: N-player estimate)", g)
    f1 = sprintf("%s/seed001_%s_meanfield-pmd.csv", dir, g)
    f2 = sprintf("%s/seed001_%s_meanfield-ipmd.csv", dir, g)
    plot f1 using 1:4 skip 1 with lines lw 2 lc rgb "#1f77b4" title "Symm-PMD (MFG)", \
         f2 using 1:4 skip 1 with lines lw 2 lc rgb "#d62728" title "IPMD (MFG, mean policy)", \
         f1 using 1:($6 > 0 ? $6 : NaN):7 skip 1 with yerrorbars pt 7 lc rgb "#1f77b4" title "Symm-PMD (N-player)", \
         f2 using 1:($6 > 0 ? $6 : NaN):7 skip 1 with yerrorbars pt 5 lc rgb "#d62728" title "IPMD (N-player)"
}
unset multiplot
