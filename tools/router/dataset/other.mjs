// Other languages, a few each (Italian, Korean, Dutch, Polish, Turkish, Vietnamese).
export const lang = 'other';
export const entries = [
  ['IA', 's', 'come si inverte una lista in Python?'],
  ['IE', 'i L6 py', 'aggiungi una docstring a questa funzione'],
  ['RA', 'i L20 java', 'perché questa classe non è thread-safe? spiega passo per passo'],
  ['AA', 's', 'dove viene configurata la connessione al database nel progetto?'],
  ['AE', 'p', 'rinomina getUser in fetchUser in tutto il progetto'],
  ['IA', 's', '파이썬에서 리스트를 뒤집는 방법은?'],
  ['IE', 'i L5 ts', '이 함수에 null 체크를 추가해 줘'],
  ['RA', 'i L22 ts', '이 함수의 시간 복잡도는? 단계별로 설명해 줘'],
  ['AA', 's', '이 프로젝트에서 데이터베이스 연결은 어디서 설정해?'],
  ['AE', 's', '프로젝트 전체에서 getUser를 fetchUser로 이름을 바꿔 줘'],
  ['IA', 's', 'hoe draai ik een lijst om in Python?'],
  ['AA', 's', 'waarom falen de tests?'],
  ['AE', 'p', 'hernoem getUser naar fetchUser in het hele project'],
  ['IA', 'c', 'jak odwrócić listę w Pythonie?'],
  ['RE', 'i L10 py', 'napraw błąd off-by-one w tej pętli'],
  ['AA', 's', 'gdzie jest skonfigurowane połączenie z bazą danych?'],
  ['IA', 's', "Python'da bir listeyi nasıl ters çeviririm?"],
  ['AE', 's', 'tüm projede getUser adını fetchUser olarak değiştir'],
  ['IA', 's', 'làm sao để đảo ngược một list trong Python?'],
  ['RA', 's L15 go', 'có race condition giữa hai goroutine này không?'],
];
