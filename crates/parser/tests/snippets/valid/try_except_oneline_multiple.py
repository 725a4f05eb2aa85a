try: x()
except E as e: y()
else: z()
finally: w()
