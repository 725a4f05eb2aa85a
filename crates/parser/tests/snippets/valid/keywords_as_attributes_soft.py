x.match
x.case
x._
