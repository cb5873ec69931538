# cmake -DINPUT=file -DOUTPUT=file.cc -P embed_text.cmake
# Writes a C++ source defining tailor::api::kOpenApiYamlText with INPUT's text.
file(READ ${INPUT} CONTENT)
file(WRITE ${OUTPUT} "namespace tailor::api {\nextern const char kOpenApiYamlText[] = R\"tailor_embed(${CONTENT})tailor_embed\";\n}\n")
