"""Extensions loaded only by the Rasa server (Python 3.10); nothing here imports the project."""
