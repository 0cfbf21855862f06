"""The demo district (演示数据): 周口市川汇区七一路街道, built from a seed."""
