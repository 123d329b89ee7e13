from org.models import User


def user_set_language(user: User, *, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
