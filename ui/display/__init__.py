"""The waiting-room board (呼出表示): calls shown very large, the chime and the voice.

May import: ``ui.widgets``, ``ui.shell`` (hub, texts) and the ``app`` services it is handed.
"""
