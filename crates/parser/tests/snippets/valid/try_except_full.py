try:
    f()
except ValueError:
    pass
except (TypeError, KeyError) as e:
    raise
except:
    pass
else:
    ok()
finally:
    cleanup()
