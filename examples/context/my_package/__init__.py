__version__ = "0.1.0"


def process_data():
    return "processed"
