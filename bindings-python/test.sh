#!/usr/bin/env bash
echo "bindings-python: not built yet"
