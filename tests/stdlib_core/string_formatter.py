import string
f = string.Formatter()
print(f.format('{0}-{name}-{0!r:>4}', 'x', name=3), list(f.parse('a{b}c')), f.get_field('0.real', (5,), {}))
class Upper(string.Formatter):
    def format_field(self, value, spec):
        return super().format_field(value, spec).upper()
print(Upper().format('{} and {x}', 'ab', x='cd'), string.Template('$a-${b}').substitute(a=1, b=2), string.capwords('hello  world'))
