def process_data():
    return 42
