import mod_a
mod_a.loaded.append("broken")
raise ValueError("broken on import")
