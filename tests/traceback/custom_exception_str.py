class Boom(Exception):
    def __str__(self):
        return "custom message\nwith two lines"
def go():
    raise Boom()
go()
