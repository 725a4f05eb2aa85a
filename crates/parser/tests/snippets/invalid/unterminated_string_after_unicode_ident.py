café = 'abc
