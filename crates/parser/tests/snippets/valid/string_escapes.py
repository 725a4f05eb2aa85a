'\n\t\r\\\'\"\a\b\f\v\0\x41\101\u00e9\U0001F600\N{BULLET}'
"line\
continued"
