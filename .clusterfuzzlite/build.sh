#!/bin/bash -eu
# ClusterFuzzLite runs this in the builder: the same build as OSS-Fuzz.
exec "$SRC/endgame/scripts/oss-fuzz/build.sh"
