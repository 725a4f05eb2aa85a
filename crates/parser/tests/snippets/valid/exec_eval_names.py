eval('1')
exec('x=1')
