def main():
    print("hello from src")


if __name__ == "__main__":
    main()
