café = 1
naïve_ñ = café
π = 3.14
日本語 = 'にほんご'
Σ = sum
