// Spanish, written independently of the parallel set.
export const lang = 'es';
export const entries = [
  ['IA', 'c', 'oye, ¿cómo saco la fecha actual en UTC en python?'],
  ['IA', 'i L2 yaml', '¿qué significa el &default en este yaml?'],
  ['IE', 'i L10 ts', 'agrega comentarios JSDoc'],
  ['IE', 'i L4 py', 'convierte este bucle en una list comprehension'],
  ['RA', 's', `¿Por qué esto imprime True y luego False?

\`\`\`python
a = 256; b = 256; print(a is b)
a = 257; b = 257; print(a is b)
\`\`\``],
  ['RA', 's', 'tengo 3 réplicas con R=2 y W=2, ¿puede una lectura perder la última escritura? explícalo con un escenario'],
  ['RE', 'i L22 js', 'la suma con decimales a veces sale mal por un centavo, arréglalo para que el dinero sea exacto'],
  ['RE', 'i L35 py', 'hazlo más rápido, se llama millones de veces'],
  ['AA', 's', '¿dónde ponemos los headers de CORS?'],
  ['AA', 'p', '¿hay algún secreto o API key commiteado en el repo?'],
  ['AE', 's', 'crea un Dockerfile para este servicio'],
  ['AE', 's', 'sube la versión a 2.1.0 en todos los sitios y añade una entrada al changelog'],
  ['AE', 'c', 'el lockfile está desactualizado, regénéralo y comprueba que nada se rompa'],
];
