a + b - c * d / e // f % g ** h @ i
a << b >> c & d | e ^ f
