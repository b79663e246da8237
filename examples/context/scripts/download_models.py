"""Runs inside the image build: fetch model weights into /models."""
import os
import sys

target = sys.argv[1] if len(sys.argv) > 1 else "/models"
os.makedirs(target, exist_ok=True)
token = os.environ.get("HF_TOKEN", "")
print(f"would download meta-llama/Llama-3-8B into {target} (token set: {bool(token)})")
