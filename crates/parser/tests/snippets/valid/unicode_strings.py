s = 'héllo wörld'
t = '日本語'
u = '😀'
b = 'Ä' + "€"
