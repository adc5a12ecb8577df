// Portuguese, written independently of the parallel set.
export const lang = 'pt';
export const entries = [
  ['IA', 's', 'como faço um loop em todos os arquivos de uma pasta no bash?'],
  ['IA', 'i L1 ts', 'esse `!` aqui é non-null assertion?'],
  ['IE', 'i L6 tsx', 'envolve esse cálculo num useMemo'],
  ['IE', 'i L3 sh', 'coloque aspas nas variáveis pra funcionar com caminhos com espaço'],
  ['RA', 's', 'qual a probabilidade de duas pessoas em 23 fazerem aniversário no mesmo dia? deduza, não só cite'],
  ['RA', 'i L40 ts', 'essa máquina de estados pode travar em algum estado? verifica cada transição'],
  ['RE', 'i L16 ts', 'adiciona suporte a cancelamento com AbortSignal em todas as etapas desse pipeline'],
  ['RE', 'i L12 sql', 'reescreva essa query pra evitar a subquery correlacionada'],
  ['AA', 's', 'quais variáveis de ambiente o app precisa pra subir?'],
  ['AA', 'p', 'acha a função que calcula o frete'],
  ['AE', 's', 'configura o eslint com o padrão airbnb nesse repositório'],
  ['AE', 's', 'faz o projeto compilar com strict mode ligado'],
  ['AE', 'i L14 py', 'escreve um teste pra essa função'],
];
