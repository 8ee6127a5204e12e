"""Greetings in a few languages."""

GREETINGS = {"en": "Hello", "pt": "Olá", "de": "Hallo"}


def greet(name: str, language: str = "en") -> str:
    """A greeting for name; English when the language is unknown."""
    word = GREETINGS.get(language, GREETINGS["en"])
    return f"{word}, {name}!"


if __name__ == "__main__":
    print(greet("world"))
