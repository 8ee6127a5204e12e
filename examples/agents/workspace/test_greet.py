import unittest

from greet import greet


class GreetTest(unittest.TestCase):
    def test_english_by_default(self):
        self.assertEqual("Hello, Ada!", greet("Ada"))

    def test_portuguese(self):
        self.assertEqual("Olá, Ada!", greet("Ada", "pt"))

    def test_unknown_language_falls_back_to_english(self):
        self.assertEqual("Hello, Ada!", greet("Ada", "xx"))


if __name__ == "__main__":
    unittest.main()
