print(*args)
x = *a, *b
[*a]
{*a}
return_ = (*a,)
