x=1+2*3-4
y=a<b>c
z=not-1
