"""Delivery channels: each module holds one channel class (see base.py); `registry.py` maps
channel codes to classes."""
