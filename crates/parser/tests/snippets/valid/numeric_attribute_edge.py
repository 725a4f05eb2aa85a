1 .__class__
0x1.real
1j.imag
