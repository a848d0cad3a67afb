"""Custom actions of the shop assistant, served by `python -m rasa_sdk --actions actions`.

One module per feature; rasa-sdk imports every submodule and registers each `Action`.
"""
