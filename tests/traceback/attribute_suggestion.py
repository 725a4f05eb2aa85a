class C:
    def __init__(self):
        self.alpha = 1
C().alpah
