class ConfigError(Exception):
    pass
def load():
    try:
        {}["path"]
    except KeyError as e:
        raise ConfigError("missing path") from e
load()
