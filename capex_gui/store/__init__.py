"""The Qt-facing store: every mutation goes through it and is announced after it committed."""
