a.b.c.d
a().b[0].c()
(1).real
1 .real
1.0.imag
