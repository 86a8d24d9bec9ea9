#!/usr/bin/env bash
# Builds the gSOAP client of the client matrix from a WSDL the server served.
#
#   tests/clients/gsoap/build.sh WSDL_FILE OUT_DIR
#
# OUT_DIR/gen gets the generated proxy (wsdl2h + soapcpp2 -j -C -x), OUT_DIR/matrix the
# program built from tests/clients/gsoap/matrix.cpp. Needs Debian's gsoap and libgsoap-dev
# (and libssl-dev for HMAC-SHA1, which libgsoap-dev pulls in). The three translation units
# compile in parallel; soapC.cpp, the serialisers of the whole interface, dominates.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wsdl="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="$2"
mkdir -p "$out/gen"
cd "$out/gen"

cp "$wsdl" mturk.wsdl
wsdl2h -o mturk.h mturk.wsdl >wsdl2h.log 2>&1 || { cat wsdl2h.log >&2; exit 1; }
soapcpp2 -j -C -x -I/usr/share/gsoap/import mturk.h >soapcpp2.log 2>&1 || { cat soapcpp2.log >&2; exit 1; }

cxx="${CXX:-g++}"
flags=(-std=c++17 -O0 -w -I.)
"$cxx" "${flags[@]}" -c soapC.cpp -o soapC.o &
c1=$!
"$cxx" "${flags[@]}" -c soapAWSMechanicalTurkRequesterBindingProxy.cpp -o proxy.o &
c2=$!
"$cxx" "${flags[@]}" -c "$here/matrix.cpp" -o matrix.o
wait "$c1"
wait "$c2"
"$cxx" -o ../matrix matrix.o proxy.o soapC.o -lgsoap++ -lcrypto
