del f(), g()
