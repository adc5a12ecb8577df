// French, written independently of the parallel set.
export const lang = 'fr';
export const entries = [
  ['IA', 's', 'comment on fait un GET avec fetch et on récupère le JSON ?'],
  ['IA', 'i L1 py', 'à quoi sert le `*args` ici ?'],
  ['IE', 'i L6 js', 'ajoute un try/catch autour du JSON.parse'],
  ['IE', 'i L8 ts', 'mets ces propriétés en optionnel stp'],
  ['RA', 's', "Notre API de prix est lente : 50k produits, les prix changent toutes les heures, 200 req/s. Cache TTL ou invalidation à l'écriture ? Justifie."],
  ['RA', 'i L20 c', 'est-ce que ça peut déborder ? a et b vont jusqu’à 2^31-1'],
  ['RE', 'i L30 py', 'ça plante avec une liste vide, corrige et gère les cas limites'],
  ['RE', 'i - go', 'écris un rate limiter à jeton (token bucket) utilisable en concurrence'],
  ['AA', 's', "je viens d'arriver sur le projet, tu peux m'expliquer comment le dépôt est organisé ?"],
  ['AA', 'c', "pourquoi l'appli renvoie une 500 sur /checkout depuis hier ? regarde les logs et le code"],
  ['AE', 's', 'migre tout le projet de CommonJS vers les modules ES'],
  ['AE', 'p', 'ajoute une validation zod sur tous les handlers POST'],
  ['AE', 'i L5 ts', "ajoute ce champ au DTO, au schéma de la base et au mapper"],
];
