import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_support"))
import helper_mod
from helper_mod import greet, CONSTANT
print(greet("you"), CONSTANT, helper_mod.__name__, helper_mod.counter)
import helper_mod as again
print(again is helper_mod, again.counter)
