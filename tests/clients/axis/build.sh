#!/usr/bin/env bash
# Builds the Apache Axis 1.4 client of the client matrix from a WSDL the server served.
#
#   tests/clients/axis/build.sh WSDL_FILE OUT_DIR
#
# OUT_DIR/gen gets the stubs of `WSDL2Java -W` (no "wrapped" mode, the style of the legacy
# MTurk Java SDK) in package turkstand.axis, OUT_DIR/classes the compiled stubs and
# tests/clients/axis/Matrix.java, and OUT_DIR/matrix a launcher taking the program's
# arguments. Needs Debian's libaxis-java and a JDK (javac); the jars are under /usr/share/java.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wsdl="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
jars=/usr/share/java
cp=""
for j in axis axis-jaxrpc axis-saaj commons-discovery commons-logging wsdl4j javax.activation javax.mail; do
  [[ -f "$jars/$j.jar" ]] || { echo "axis/build.sh: $jars/$j.jar is missing (apt-get install libaxis-java)" >&2; exit 1; }
  cp="$cp${cp:+:}$jars/$j.jar"
done

rm -rf "$out/gen" "$out/classes"
mkdir -p "$out/gen" "$out/classes"
java -cp "$cp" org.apache.axis.wsdl.WSDL2Java -W -o "$out/gen" -p turkstand.axis "$wsdl" >"$out/wsdl2java.log" 2>&1 ||
  { cat "$out/wsdl2java.log" >&2; exit 1; }
find "$out/gen" -name '*.java' >"$out/sources.txt"
echo "$here/Matrix.java" >>"$out/sources.txt"
# The generated code predates generics and Java 9's deprecations; its warnings are noise.
javac -nowarn -encoding UTF-8 -cp "$cp" -d "$out/classes" @"$out/sources.txt" >"$out/javac.log" 2>&1 ||
  { cat "$out/javac.log" >&2; exit 1; }

cat >"$out/matrix" <<EOF
#!/bin/sh
exec java -cp "$cp:$out/classes" Matrix "\$@"
EOF
chmod +x "$out/matrix"
