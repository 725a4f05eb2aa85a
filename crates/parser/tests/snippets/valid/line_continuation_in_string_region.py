x = [1,
     2,

     3]
y = (1 +
  # comment
  2)
