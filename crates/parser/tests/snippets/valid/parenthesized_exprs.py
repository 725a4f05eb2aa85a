((((x))))
(x)
(x).y
(yield_)
