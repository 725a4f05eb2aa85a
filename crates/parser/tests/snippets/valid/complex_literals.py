1j
1J
1.5j
1e3j
1_0j
.5j
0j
3 + 4j
